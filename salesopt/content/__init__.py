"""The content: YAML schemas and loader (file, line and field in every error), the catalog, the content ids."""
