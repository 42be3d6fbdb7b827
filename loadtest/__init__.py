"""The load and fault test (issue 15 item 5): two `joinedup serve` processes (2 workers each) and one `joinedup
worker` on a fresh PostgreSQL database, driven over loopback by 50 respondents (survey answers and feedback) and
10 coordinators (health page, results, the "needs you" home); then the same with one server and the worker killed
with SIGKILL half-way and started again. See loadtest/README.md and `python -m loadtest --help`."""
