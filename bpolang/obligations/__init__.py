"""What the contract obliges over time: dated obligations, key figures, the timeline picture, calendar files."""
