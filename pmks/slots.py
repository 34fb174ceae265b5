"""The slots of the registry's pages where higher apps show their panels (inti.slots)."""

KELUARGA = "pmks.keluarga"  # the household page, below the PMKS records; arguments: keluarga
BERANDA = "pmks.beranda"  # the home page, below the counts; no arguments
