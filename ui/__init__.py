"""The UI helpers beside the pages: state adapter and shared widgets (imports streamlit)."""
