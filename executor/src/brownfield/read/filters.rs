//! What the describe calls share: the VPC filter and one line for an EC2 error.

use aws_sdk_ec2::types::Filter;

use crate::aws_error::one_line;

pub fn vpc_filter(vpc: &str) -> Filter {
    Filter::builder().name("vpc-id").values(vpc).build()
}

pub fn err<E: aws_sdk_ec2::error::ProvideErrorMetadata + std::error::Error>(e: E) -> String {
    one_line(&e)
}

/// Every item of a paginated EC2 describe filtered by the VPC:
/// `in_vpc!(aws, vpc, describe_subnets, subnets)`. Expects `all_pages`, `vpc_filter` and
/// `err` in scope where it is used.
macro_rules! in_vpc {
    ($aws:expr, $vpc:expr, $call:ident, $items:ident) => {
        all_pages(|token| async move {
            let out = $aws
                .ec2(|c| {
                    c.$call()
                        .filters(vpc_filter($vpc))
                        .set_next_token(token)
                        .send()
                })
                .await
                .map_err(err)?;
            Ok::<_, String>((out.$items().to_vec(), out.next_token().map(str::to_owned)))
        })
        .await
    };
}
pub(super) use in_vpc;
