"""Real abstract sentences shared by the quantity-parser and numeric-checker tests."""

# abstract: Conneau et al. 2020, "Unsupervised Cross-lingual Representation Learning at Scale"
# (XLM-R), arXiv 1911.02116.
XLMR_LOW_RESOURCE = (
    "XLM-R performs particularly well on low-resource languages, improving 15.7% in XNLI "
    "accuracy for Swahili and 11.4% for Urdu over previous XLM models."
)
XLMR_VS_MBERT = (
    "Our model, dubbed XLM-R, significantly outperforms multilingual BERT (mBERT) on a variety "
    "of cross-lingual benchmarks, including +14.6% average accuracy on XNLI, +13% average F1 "
    "score on MLQA, and +2.4% F1 score on NER."
)
# abstract: Devlin et al. 2019, "BERT: Pre-training of Deep Bidirectional Transformers for
# Language Understanding", arXiv 1810.04805.
BERT_RESULTS = (
    "It obtains new state-of-the-art results on eleven natural language processing tasks, "
    "including pushing the GLUE score to 80.5% (7.7% point absolute improvement), MultiNLI "
    "accuracy to 86.7% (4.6% absolute improvement), SQuAD v1.1 question answering Test F1 to "
    "93.2 (1.5 point absolute improvement) and SQuAD v2.0 Test F1 to 83.1 (5.1 point absolute "
    "improvement)."
)
