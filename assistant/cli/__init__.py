"""The `mitra` command: thin shells over the layers below (parse, call, show)."""
