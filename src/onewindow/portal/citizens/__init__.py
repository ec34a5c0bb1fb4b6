"""Citizen accounts (R-CIT-1): sign-up and sign-in, one-time phone codes, claiming what
was done without an account, "my affairs" and the online questions (R-CASE-8)."""
