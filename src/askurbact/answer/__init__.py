"""Answers: the model (Answer, Citation and their JSON), sentence selection, citations."""
