"""No models. The module exists so that Django sends `post_migrate` for this app, which
creates the database cache tables (common.apps.create_cache_tables)."""
