"""Benchmarks and comparison scripts (make bench, make loadtest): run as scripts."""

# The rate limiters count as in production; their limits only have to let a benchmark's
# requests through (a 429 page is not the page being measured).
LIMITES_LEVEES = {"API_LIMITE": "100000000/m", "PAGES_LIMITE": "100000000/m"}
