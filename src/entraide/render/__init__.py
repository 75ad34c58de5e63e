"""Report → text. Pure and deterministic: same input, same bytes."""
