"""Home: what each page teaches, and which data sets are on this machine."""
import streamlit as st

from dashboard import cache
from dashboard.registry import PAGES

st.title("Sequence Lab")
st.markdown(
    "Explore sequence models the way the course builds them: **text → tokens → one-hot and "
    "bag-of-words → embeddings → CNNs and RNNs on IMDB → language models → inside an RNN**. "
    "Every page runs on the real data sets, offline.")

st.subheader("Pages")
for spec in PAGES[1:]:
    st.page_link(spec.path, label=spec.title, icon=spec.icon)
    st.caption(spec.teaches)
st.caption("Still to come, as the course goes on: Embeddings, Train & compare, Generate text, "
           "Inside the RNN.")

st.subheader("Data on this machine")
status = cache.data_status()
st.dataframe(status, hide_index=True, width="stretch",
             column_config={"MB": st.column_config.NumberColumn(format="%.1f")})
missing = status[status["status"] == "missing"]
if len(missing):
    st.warning("Some data sets are missing; the pages that need them say so. Fetch them from "
               "their official sources (checksums are verified) with:")
    st.code("\n".join(missing["fetch with"]), language="bash")
else:
    st.success("Every required data set is present and registered with its checksum. "
               "Optional larger GloVe files can be fetched with the command in their row.")
st.caption("Files are read from the project's cache directory first, then the offline mirror "
           "(`$SEQLAB_DATA_DIR`, default `../shared/data`). Nothing is downloaded unless you run "
           "`python -m core.datasets fetch NAME`.")
