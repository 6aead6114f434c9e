"""The schemas of the framework files, one module per kind of content: the base every schema shares,
the dialogue, Stage 2's benchmarks, stage sets and scoring, Stage 3's qualification content, the Stage 4
and Stage 5 kits, the recommendation rules, and the CRM profiles (how each CRM writes its export).
The loader (salesopt.content.frameworks) maps each folder of frameworks/ to its schema and
re-exports them all."""
