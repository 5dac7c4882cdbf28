"""Reading documents: bytes to text (decoding, limits) and the readers of each format."""
