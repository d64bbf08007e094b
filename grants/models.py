"""Placeholder until the grants issue adds its models."""
