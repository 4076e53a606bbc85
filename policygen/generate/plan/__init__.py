"""The access plan: which role may do what to which resource, and why.

Each section of the organization file contributes roles and declared accesses.
Identity policies and resource policies are then both derived from the same
accesses, which is what keeps the two sides of every cross-account hop in step.
"""

from policygen.generate.plan.build import build_plan
from policygen.generate.plan.model import Access, Plan, RoleSpec, Target

__all__ = ["Access", "Plan", "RoleSpec", "Target", "build_plan"]
