"""Storage layer: the SQLite workspace, repositories and the content-addressed evidence store."""
