"""Tooling for `make run`, tests and benchmarks: the demo accounts and data (`seed_demo`,
`demo_logins`) and the batch file generator (`generate_batch`). Product code never imports it."""
