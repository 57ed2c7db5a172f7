from django.dispatch import Signal

# Sent after core tables / course codes change: stored progress results become stale.
reference_tables_changed = Signal()
