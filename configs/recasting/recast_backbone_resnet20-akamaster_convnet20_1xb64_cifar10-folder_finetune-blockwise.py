# Fine-tune after teacher-fed recasting with a per-block loss as well: each
# recast block's output is pulled towards the teacher's output of the same
# block (MSE), on the student's own inputs, next to the logit MSE + CE.
# The teacher-fed targets were trained on the teacher's inputs; chained,
# their errors compound (27.8 % before fine-tuning). Matching every block
# on student inputs corrects each block where the error enters instead of
# only through the logits (configs/recasting/logs/budget/README.md).
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel.py']

blocks = {
    f'l{stage}_{i}': f'backbone.layer{stage}.{i}'
    for stage in (1, 2, 3) for i in range(3)
}
model = dict(
    student_recorders=blocks,
    teacher_recorders=blocks,
    distill_losses=dict(
        loss_logits=dict(type='MSELoss', student='logits', teacher='logits'),
        **{
            f'loss_{name}': dict(type='MSELoss', student=name, teacher=name)
            for name in blocks
        }))
