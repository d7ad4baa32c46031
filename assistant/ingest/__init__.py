"""Reading files: the catalogue, one loader per format, structure, sentences, chunking, the sandboxed reader."""
