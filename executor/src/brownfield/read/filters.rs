//! What the describe calls share: the VPC filter and one line for an EC2 error.

use aws_sdk_ec2::types::Filter;

use crate::aws_error::one_line;

pub fn vpc_filter(vpc: &str) -> Filter {
    Filter::builder().name("vpc-id").values(vpc).build()
}

pub fn err<E: aws_sdk_ec2::error::ProvideErrorMetadata + std::error::Error>(e: E) -> String {
    one_line(&e)
}
