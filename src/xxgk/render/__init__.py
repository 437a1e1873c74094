"""Writing reports in the official layout: Word, HTML, Markdown (see ``xxgk render``)."""
