# The factorized-conv library with span candidates: a plain Conv-BN-ReLU
# that stands in for its block and the next one, trained against the next
# block's output, and chosen only with that block removed. A candidate
# trained on its own block's output hands the block after a removed one an
# input one teacher block short; the span candidate hands it the input it
# was trained on. Built where the next block is a stride-1 block (its
# BlockToShortcut is an identity): six of ResNet-20's nine.
_base_ = ['./recast-search_resnet20-akamaster_1xb64_cifar10-folder_'
          'library-factorized.py']

model = dict(spans=[
    dict(blocks='backbone.layer*.*', recasters=[dict(type='BasicBlockToConv')])
])
