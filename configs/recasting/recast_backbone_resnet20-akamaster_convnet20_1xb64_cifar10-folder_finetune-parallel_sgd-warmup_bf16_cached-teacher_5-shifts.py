# The cached SGD warm-up fine-tune with random crops back, drawn from five
# fixed shifts (the image in place and moved 3 pixels along each diagonal):
# each image has 10 views, which the teacher logit cache covers after a few
# epochs, where flips alone give 2 (configs/recasting/logs/budget/README.md).
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel_sgd-warmup_bf16_cached-teacher.py']

train_dataloader = dict(
    collate_fn=dict(
        padding=3, shifts=[(0, 0), (-3, -3), (-3, 3), (3, -3), (3, 3)]))
