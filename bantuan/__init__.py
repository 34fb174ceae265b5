"""Aid programmes (sembako, RTLH, kambing, modal usaha): built on the PMKS registry."""
