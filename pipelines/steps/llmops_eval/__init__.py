"""Evaluation on the held-out split: ROUGE-L, exact match, BLEU and, where a judge model is
configured, a win rate against the references; metrics written as a KFP ``system.Metrics``."""
