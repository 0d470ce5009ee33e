"""Quickstart stand-in for NeMo Safe Synthesizer."""
