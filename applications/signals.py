"""What the applications app tells the apps above it, which it may not import (the layers in pyproject.toml).

team_selected   a team was selected for a challenge (decisions.selection_decide); sent with `application` and `by`,
                inside the transaction that recorded the decision, so a receiver's refusal undoes the decision.
                Receivers must be idempotent. The sprints app opens the team's exploration engagement here.
"""

from django.dispatch import Signal

team_selected = Signal()
