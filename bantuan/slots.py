"""The slots of the aid pages where higher apps show their panels (inti.slots)."""

LUAR = "bantuan.luar"  # the page of aid decided elsewhere, above its extracts; no arguments
