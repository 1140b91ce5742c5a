"""What the organisations app tells the apps above it, which it may not import (the layers in pyproject.toml).

organisation_saved   an organisation was registered (on the site or in the admin) or changed in the admin; sent
                     with `organisation` and `by`, inside the transaction that saved it. Receivers must be
                     idempotent. The challenges app gives a public body its space for challenges here.
"""

from django.dispatch import Signal

organisation_saved = Signal()
