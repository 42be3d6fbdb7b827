"""Pure analysis functions over arrays and frames. No Django import here (a test enforces it)."""
