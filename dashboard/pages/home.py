"""Home: what each page teaches, and which data sets are on this machine."""
import streamlit as st

from core.data import diskcache
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

st.subheader("Data on this machine")
rows = cache.data_status()
lines = ["| data set | status | where | MB | what |", "|---|---|---|---:|---|"]
lines += [f"| `{r['data set']}` | {r['status']} | {r['where']} | {r['MB']:.1f} | {r['title']} |"
          for r in rows]
st.markdown("\n".join(lines))  # a markdown table: Home needs no pandas, so it starts fast
missing = [r for r in rows if r["status"] == "missing"]
if missing:
    st.warning("Some data sets are missing; the pages that need them say so. Fetch them from "
               "their official sources (checksums are verified) with:")
    st.code("\n".join(r["fetch with"] for r in missing), language="bash")
else:
    st.success("Every required data set is present and registered with its checksum. "
               "Optional larger GloVe files can be fetched with "
               "`python -m core data fetch glove100` (or 200, 300).")
if failure := diskcache.write_failure():
    st.warning(f"The lab {failure}. Pages work, but start slower.")
st.caption("Files are read from the project's cache directory first, then the offline mirror "
           "(`$SEQLAB_DATA_DIR`, default `../shared/data`). Nothing is downloaded unless you run "
           "`python -m core data fetch NAME`.")
