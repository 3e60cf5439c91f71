"""The Streamlit dashboard: `app.py` builds the navigation, `views/` present, `data.py` caches the results.

`whatif.py` and `exports.py` hold the dashboard's logic that does not need streamlit, so that tests and
benchmarks can call exactly what the pages call.
"""
