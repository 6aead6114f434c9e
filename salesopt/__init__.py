"""salesopt: the calculations, content and storage behind the sales process optimizer.

Plain Python: importable from a notebook or a script, never imports streamlit.
"""

__version__ = "0.1.0"
