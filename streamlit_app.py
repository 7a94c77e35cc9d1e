"""Sequence Lab: the router. Every page lives in dashboard/pages and is listed in the registry."""
import streamlit as st

from dashboard.components.classroom import classroom_switch
from dashboard.components.person import person_sidebar
from dashboard.components.question_bar import open_questions
from dashboard.registry import HOME_ALIAS, PAGES
from dashboard.runtime import keep_keras_state
from dashboard.state import keep_widget_state

keep_keras_state()
st.set_page_config(page_title="Sequence Lab", page_icon=":material/timeline:", layout="wide")
pages = [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=i == 0)
         for i, p in enumerate(PAGES)]
# The default page is served at "/"; its own name, /home, must answer too (not "Page not found").
pages.append(st.Page(PAGES[0].path, title=PAGES[0].title, url_path=HOME_ALIAS,
                     visibility="hidden"))
page = st.navigation(pages)
keep_widget_state()
classroom_switch()
person_sidebar()
open_questions(page.url_path)
page.run()
