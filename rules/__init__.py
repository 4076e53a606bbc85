"""policygen's lint rules, one per module, grouped by family.

syntax/            SY0xx  the document is valid IAM and fits its quota
least_privilege/   LP1xx  grants no more than a task needs
data_perimeter/    DP3xx  resources are reachable only by the organization, over the expected network
cross_account/     XA2xx  both sides of every cross-account path agree, and nothing else gets through

Each module defines one Rule subclass and RULE, an instance of it; the engine
collects them when it runs. Fixtures live in tests/fixtures/rules/<ID>/.
"""
