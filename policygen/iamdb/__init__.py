"""The IAM action / resource-type / condition-key catalogue."""

from policygen.iamdb.catalogue import Action, Catalogue, load

__all__ = ["Action", "Catalogue", "load"]
