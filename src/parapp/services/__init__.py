"""Services: the use-cases the UI and the CLI share, behind one ``Workspace`` facade."""
