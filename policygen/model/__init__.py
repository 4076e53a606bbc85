"""Plain data types shared by every stage. Imports only the standard library."""
