"""Analytics: pure functions of (Vault, Settings, today). Nothing here reads the clock."""
