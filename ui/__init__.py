"""Streamlit glue shared by the dashboard's pages (login, banners).

The library ``jobmatch/`` stays free of Streamlit (except ``jobmatch/cached.py``);
page code that more than one page needs and that *does* use Streamlit lives here.
"""
