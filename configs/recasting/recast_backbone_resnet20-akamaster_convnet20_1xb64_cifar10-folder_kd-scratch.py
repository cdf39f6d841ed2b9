# KD from scratch: the control for recast + fine-tune at equal wall time.
# The same student (ConvNet-20 as the recast ResNet-20), the same fine-tune
# loss (logit MSE + CE), but random weights instead of the recast ones, and
# the from-scratch schedule (SGD 0.05 Nesterov at batch 64, cosine: the
# optimizer of the _sgd fine-tune, whose start this drops).
# Sized by tools/benchmarks/recast_budget.py (configs/recasting/README.md).
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel_sgd.py']

model = dict(init_from=None)
