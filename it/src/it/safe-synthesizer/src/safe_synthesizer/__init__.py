"""Sample package standing in for NeMo Safe Synthesizer in the nss integration tests."""
