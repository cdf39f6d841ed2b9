# Main-job demo, control run for stage 4: the same recast ConvNet-14, data,
# schedule and 400 iterations as demo_ft-train_resnet14_convnet14_1xb128_
# mnist.py, with cross-entropy alone (no teacher signal). What Factor
# Transfer adds is the difference between the two (configs/demo/README.md).
_base_ = ['./demo_ft-train_resnet14_convnet14_1xb128_mnist.py']

model = dict(
    teacher_recorders=dict(_delete_=True),
    student_recorders=dict(_delete_=True),
    connectors=dict(_delete_=True),
    distill_losses=dict(_delete_=True),
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/demo_recast_resnet14_convnet14_1xb64_mnist',
            prefix='student.')
    ])
