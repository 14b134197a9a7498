"""Read models: the data pages show, as plain values. Nothing here writes or commits."""
