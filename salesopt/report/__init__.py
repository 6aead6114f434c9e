"""What people read: formatted figures, charts, findings, the plan and its exports."""
