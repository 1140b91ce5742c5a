"""What the sprints app tells the apps above it, which it may not import (the layers in pyproject.toml).

engagement_started   a team's engagement for a stage was created (services.engagements.engagement_create); sent with
                     `engagement`, inside the transaction that created it. Receivers must be idempotent. The impact
                     app schedules the team's impact returns here.
"""

from django.dispatch import Signal

engagement_started = Signal()
