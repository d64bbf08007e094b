"""Placeholder until the jvap issue adds its models."""
