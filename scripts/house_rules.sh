#!/bin/sh
# House rules that linters do not know (STYLE.md): views and admin read through selectors and
# for_user(), never straight from a model manager.
status=0
if grep -nE '\.objects\.' */views.py 2>/dev/null; then
  echo "house rule: no Model.objects in views.py; use a selector (scoped with for_user)." >&2
  status=1
fi
if grep -nE 'datetime\.now\(|date\.today\(' --include='*.py' -r inti wilayah accounts pmks musyawarah bantuan tksk warga impor laporan demo config 2>/dev/null | grep -v '/migrations/'; then
  echo "house rule: use django.utils.timezone (now/localdate), not naive datetime.now/date.today." >&2
  status=1
fi
exit $status
