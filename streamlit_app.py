"""Sequence Lab: the router. Every page lives in dashboard/pages and is listed in the registry."""
import streamlit as st

from dashboard.components.classroom import classroom_switch
from dashboard.registry import PAGES
from dashboard.runtime import keep_keras_state

keep_keras_state()
st.set_page_config(page_title="Sequence Lab", page_icon=":material/timeline:", layout="wide")
pages = [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=i == 0)
         for i, p in enumerate(PAGES)]
page = st.navigation(pages)
classroom_switch()
page.run()
