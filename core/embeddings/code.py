"""Embeddings' code to take home: GloVe loaded with numpy (Stanford's archive, checked by the
hash of its 50d file as the lab checks it, or a local copy), nearest words, an analogy and the
PCA map with scikit-learn, with the page's settings."""
from __future__ import annotations

import textwrap

from core import notebooks
from core.data import datasets



def glove_cells(dim: int, word: str, k: int, metric: str, analogy: tuple[str, str, str],
                groups: dict[str, list[str]], neighbours: int, dims: int) -> list:
    """Cells for the page's settings: GloVe at ``dim`` dimensions, ``word``'s ``k`` nearest by
    ``metric``, the analogy a : b :: c : ?, and the PCA map (``dims`` = 2 or 3) of ``groups``
    with each word's ``neighbours`` nearest."""
    a, b, c = analogy
    return [
        ("markdown", f"""
            GloVe 6B (Pennington, Socher and Manning, 2014): 400,000 words, each a vector of
            {dim} numbers learned from word co-occurrences in 6 billion words of text. Read
            with numpy alone: one line per word, the word then its numbers (words such as
            "null" and "nan" are words here, not missing values)."""),
        ("code", "import pathlib\nimport numpy as np\n\n"
                 f"{notebooks.LOCAL_COPY_LINE}  # <- or the path of a local glove.6B.{dim}d.txt\n"
                 "if LOCAL_COPY:\n"
                 "    lines = pathlib.Path(LOCAL_COPY).read_text(encoding=\"utf-8\").splitlines()\n"
                 "else:\n" + textwrap.indent(archive_code(dim), "    ") + _VECTORS),
        ("markdown", """
            Nearest words, searched exactly over every word: cosine similarity is the angle
            between vectors (higher is nearer), euclidean the distance (lower is nearer)."""),
        ("code", f'''
            def nearest(query, k, metric="cosine", exclude=()):
                if metric == "cosine":
                    scores = unit @ (query / np.linalg.norm(query))
                    order = np.argsort(-scores)
                else:
                    scores = np.linalg.norm(vectors - query, axis=1)
                    order = np.argsort(scores)
                return [(words[i], round(float(scores[i]), 3)) for i in order
                        if words[i] not in exclude][:k]

            word = {word!r}
            print(nearest(vectors[index[word]], {k}, {metric!r}, exclude={{word}}))
        '''),
        ("markdown", f"""
            An analogy, {a} : {b} :: {c} : ?, is the word nearest to b − a + c (of unit
            vectors), the three words themselves left out."""),
        ("code", f'''
            a, b, c = {a!r}, {b!r}, {c!r}
            target = unit[index[b]] - unit[index[a]] + unit[index[c]]
            print(nearest(target, 5, exclude={{a, b, c}}))
        '''),
        ("markdown", f"""
            The PCA map: the listed words and their {neighbours} nearest each, their vectors
            reduced to their {dims} main directions with scikit-learn, coloured by group."""),
        ("code", f'''
            from sklearn.decomposition import PCA
            import plotly.express as px

            groups = {groups!r}
            placed, group_of = [], []
            for group, members in groups.items():
                for w in members:
                    if w not in index:
                        print("not in GloVe:", w)
                        continue
                    near = [n for n, _ in nearest(vectors[index[w]], {neighbours},
                                                  exclude={{w}})] if {neighbours} else []
                    for x in [w] + near:
                        if x not in placed:
                            placed.append(x)
                            group_of.append(group)
            coords = PCA(n_components={dims}).fit_transform(vectors[[index[w] for w in placed]])
            columns = dict(x=coords[:, 0], y=coords[:, 1], color=group_of, text=placed)
            fig = (px.scatter_3d(z=coords[:, 2], **columns) if {dims} == 3 else
                   px.scatter(**columns))
            fig.write_html("pca_map.html")  # open it in a browser
            print(len(placed), "words mapped to pca_map.html")
        '''),
    ]


def archive_code(dim: int) -> str:
    """Code that sets ``lines`` to glove.6B.{dim}d.txt's lines, read from Stanford's archive
    (downloaded once) after checking the sha256 of its 50d file, as the lab checks it."""
    (file,) = datasets.dataset(f"glove{dim}").files
    member, sha256 = file.anchor or (file.member, file.raw_sha256)
    return f"""import hashlib, pathlib, urllib.request, zipfile
archive = pathlib.Path("glove.6B.zip")  # Stanford's archive, 822 MB
if not archive.exists():
    urllib.request.urlretrieve("{file.url}", archive)
with zipfile.ZipFile(archive) as z:  # checked by the sha256 of its 50d file
    assert hashlib.sha256(z.read("{member}")).hexdigest() == \\
        "{sha256}", "the download is damaged"
    lines = z.read("{file.member}").decode("utf-8").splitlines()
"""


_VECTORS = """words = [line.split(" ", 1)[0] for line in lines]
vectors = np.array([line.split(" ")[1:] for line in lines], dtype="float32")
index = {w: i for i, w in enumerate(words)}
unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
print(vectors.shape)
"""
