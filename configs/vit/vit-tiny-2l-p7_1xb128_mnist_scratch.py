# Control: the students' size trained from scratch with the fine-tune's
# budget (1000 iterations): the teacher's ViT with 2 of its 4 layers, its
# recipe otherwise.
_base_ = ['./vit-tiny-p7_1xb128_mnist.py']
model = dict(backbone=dict(arch=dict(num_layers=2)))
param_scheduler = dict(T_max=1000)
train_cfg = dict(max_iters=1000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=500))
