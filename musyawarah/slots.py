"""The slots of the musyawarah pages where higher apps show their panels (inti.slots)."""

DETAIL = "musyawarah.detail"  # the musyawarah page, below the households; arguments: musyawarah
