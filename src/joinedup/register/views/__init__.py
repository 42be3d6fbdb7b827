"""Register views, one module per concept (organisations, people, partnerships, imports, landscape)."""
