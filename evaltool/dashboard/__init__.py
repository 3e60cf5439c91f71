"""The Streamlit dashboard: `app.py` builds the navigation, `views/` present, `data.py` caches the results.

`frames.py` (what the pages' tables and lists hold), `whatif.py`, `exports.py` and `escape.py` hold the
dashboard's logic that does not need streamlit, so that tests and benchmarks can call exactly what the
pages call; `table_style.py` dresses the frames for Streamlit.
"""
